// Karma + Jasmine in Debian's Chromium (never a downloaded browser): its headless shell, lighter
// than the full browser in headless mode (apps/api/src/test/browser.ts); CHROME_BIN picks another.
// The program itself, not /usr/bin/chromium-headless-shell: that is a shell script that starts the
// browser as its child instead of replacing itself with it, so Karma's launcher stopped the script
// and every run left its browser behind, which then joined the next run's Karma server (its tests
// counted twice, with the code it had loaded before).
const { existsSync } = require('node:fs');
const DEBIAN_HEADLESS_SHELL = '/usr/lib/chromium/chromium-headless-shell';
process.env.CHROME_BIN =
  process.env.CHROME_BIN ||
  (existsSync(DEBIAN_HEADLESS_SHELL) ? DEBIAN_HEADLESS_SHELL : '/usr/bin/chromium-headless-shell');

module.exports = function (config) {
  config.set({
    basePath: '',
    frameworks: ['jasmine'],
    plugins: [require('karma-jasmine'), require('karma-chrome-launcher')],
    client: { jasmine: { random: true }, clearContext: false },
    reporters: ['progress'],
    browsers: ['ChromeHeadlessCI'],
    customLaunchers: {
      ChromeHeadlessCI: {
        base: 'ChromeHeadless',
        flags: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      },
    },
    singleRun: true,
    restartOnFileChange: false,
    browserNoActivityTimeout: 120000,
  });
};
