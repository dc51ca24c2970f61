import { Component, CUSTOM_ELEMENTS_SCHEMA } from '@angular/core';
import 'ic-support-chat';
import type { IcRunCompleteEvent } from 'ic-support-chat';

@Component({
  selector: 'app-root',
  standalone: true,
  // Lets Angular's template compiler accept <ic-support-chat> and its attributes.
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <ic-support-chat
      endpoint="/api/support"
      heading="Notably support"
      greeting="Hi! Ask me anything about Notably."
      [suggestions]="suggestions"
      style="display: block; height: 600px; max-width: 420px"
      (ic-run-complete)="onComplete($any($event))"
    ></ic-support-chat>
  `,
})
export class AppComponent {
  suggestions = ['How do I reset my password?'];

  onComplete(event: IcRunCompleteEvent): void {
    console.info('reply:', event.detail.message);
  }
}
