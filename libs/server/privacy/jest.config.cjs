module.exports = require('../../../tools/jest/preset.cjs')('server-privacy', __dirname, { database: true });
