import express from 'express';
import itemsRouter from './routes/items';

const app = express();

app.use(express.json());
app.use('/api/items', itemsRouter);

app.get('/health', (req, res) => {
  res.send({ status: 'UP' });
});

export default app;
