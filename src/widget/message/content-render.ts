// What <ic-message> tells the transcript at each redraw of a reply, and what it hears back.

/**
 * Fired (bubbling, composed) by `<ic-message>` right after its reply's Markdown changed on screen,
 * before the browser lays it out: the transcript keeps following the reply in the same frame.
 */
export const CONTENT_RENDER_EVENT = 'ic-content-render';

/**
 * The `ic-content-render` event. A transcript that scrolls the reply sets `tailHidden` while it
 * handles it when the reader does not see the reply's end (they stay at the question, or scrolled
 * up): the rest of the reply, arriving out of sight, is then drawn less often.
 */
export class ContentRenderEvent extends Event {
  tailHidden = false;
  constructor() {
    super(CONTENT_RENDER_EVENT, { bubbles: true, composed: true });
  }
}

/**
 * Least time (ms) between two redraws of a streaming reply whose end the reader does not see: its
 * text still reaches the page (the scroll height and the scrollbar follow it) twice a second,
 * instead of ten times, each redraw costing the browser a frame of style, layout and paint.
 */
export const HIDDEN_TAIL_INTERVAL_MS = 500;
