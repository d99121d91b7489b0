module.exports = require('../../../tools/jest/preset.cjs')('server-mail', __dirname, { database: true });
