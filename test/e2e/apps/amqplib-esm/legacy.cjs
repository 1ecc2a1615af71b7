// Callback API, as older services use it: one channel that sends to and consumes from a queue.
const amqp = require('amqplib/callback_api');
const { observe } = require('./observations.cjs');

function onLegacy(msg) {
  observe('legacy', msg);
}

function startLegacy(url, prefix, done) {
  amqp.connect(url, (err, conn) => {
    if (err) return done(err);
    conn.createChannel((err2, ch) => {
      if (err2) return done(err2);
      ch.assertQueue(`${prefix}.legacy`, { autoDelete: true }, (err3) => {
        if (err3) return done(err3);
        ch.consume(`${prefix}.legacy`, onLegacy, { noAck: true }, (err4) => {
          if (err4) return done(err4);
          done(null, {
            send(content, options) {
              ch.sendToQueue(`${prefix}.legacy`, content, options);
            },
          });
        });
      });
    });
  });
}

module.exports = { startLegacy };
