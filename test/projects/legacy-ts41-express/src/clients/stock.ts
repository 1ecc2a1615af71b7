import axios from 'axios';
import config from '../config';

export interface StockLevel {
  sku: string;
  available: number;
}

export async function getStock(sku: string): Promise<StockLevel> {
  const response = await axios.get(`${config.stockServiceUrl}/stock/${sku}`, { timeout: 3000 });
  return { sku, available: response.data.available };
}
