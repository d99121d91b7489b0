module.exports = require('../../tools/jest/preset.cjs')('worker', __dirname, { database: true });
