import express from 'express';
import { orders } from './orders.js';

const app = express();
app.use(express.json());
app.use('/api/orders', orders);

app.listen(3000, () => console.log('shop listening on :3000'));
