'use strict';

function line(level, message) {
  return `${new Date().toISOString()} [${level}] ${message}`;
}

module.exports = {
  info: (message) => console.log(line('info', message)),
  error: (message) => console.error(line('error', message)),
};
