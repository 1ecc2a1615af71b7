// A sub-app mounted by server.ts at /admin.
import createApp from 'express';

export const admin = createApp();
admin.get('/users/:userId', (req, res) => {
  res.json({ user: req.params.userId });
});
