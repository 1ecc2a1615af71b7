const config = {
  port: parseInt(process.env.PORT || '3000', 10),
  host: process.env.HOST || '0.0.0.0',
  stockServiceUrl: process.env.STOCK_SERVICE_URL || 'http://localhost:5001',
  pricingHost: process.env.PRICING_HOST || 'localhost',
  pricingPort: parseInt(process.env.PRICING_PORT || '5002', 10),
};

export default config;
