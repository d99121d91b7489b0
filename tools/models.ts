/**
 * Whisper model provisioning for worker hosts.
 *
 *   npm run models -- list                    the manifest and what is installed
 *   npm run models -- install base.en         download (where the internet is reachable) and verify
 *   npm run models -- import base.en <file>   take a file copied in by hand, after checking its hash
 *   npm run models -- verify [name]           re-check installed files against the manifest
 *
 * Models go to WHISPER_MODELS_DIR (default var/models). The worker verifies its model at start.
 */
import { loadConfig } from '@rehearse/server/core';
import { downloadModel, importModel, manifestEntry, MODEL_MANIFEST, verifyModel } from '@rehearse/server/speech';

async function main(): Promise<void> {
  const [command = 'list', name, file] = process.argv.slice(2);
  const dir = loadConfig().WHISPER_MODELS_DIR;
  switch (command) {
    case 'list':
      for (const m of MODEL_MANIFEST) {
        const state = await verifyModel(dir, m);
        console.log(`${m.name.padEnd(14)} ${(m.bytes / 1e6).toFixed(0).padStart(4)} MB  ${state.ok ? 'installed' : `not installed (${state.reason})`}`);
      }
      return;
    case 'install':
      console.log(`downloading ${name} to ${dir} …`);
      console.log(`installed ${await downloadModel(dir, manifestEntry(name ?? ''))}`);
      return;
    case 'import':
      if (!file) throw new Error('usage: npm run models -- import <name> <file>');
      console.log(`imported ${await importModel(file, dir, manifestEntry(name ?? ''))}`);
      return;
    case 'verify': {
      let bad = 0;
      for (const m of name ? [manifestEntry(name)] : MODEL_MANIFEST) {
        const state = await verifyModel(dir, m);
        if (state.ok) console.log(`${m.name}: ok`);
        else if (name) {
          console.log(`${m.name}: ${state.reason}`);
          bad++;
        }
      }
      if (bad) process.exit(1);
      return;
    }
    default:
      throw new Error(`unknown command "${command}" (list | install | import | verify)`);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
