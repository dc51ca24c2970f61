// Key chords that work with every launcher: "Shift+Tab" as one key name is Playwright-only
// (puppeteer and WebDriver take one key per press), but holding Shift down works everywhere.
import { sendKeys } from '@web/test-runner-commands';

/** Presses `key` with Shift held, as a person does. */
export async function pressWithShift(key: string): Promise<void> {
  await sendKeys({ down: 'Shift' });
  try {
    await sendKeys({ press: key });
  } finally {
    await sendKeys({ up: 'Shift' });
  }
}
