'use strict';
const config = require('../config');

function queueEmail(channel, email) {
  return channel.sendToQueue(config.rabbit.emailQueue, Buffer.from(JSON.stringify(email)), {
    contentType: 'application/json',
    persistent: false,
  });
}

module.exports = { queueEmail };
