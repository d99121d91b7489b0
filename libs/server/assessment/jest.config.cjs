module.exports = require('../../../tools/jest/preset.cjs')('server-assessment', __dirname);
