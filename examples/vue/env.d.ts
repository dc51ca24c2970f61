// Types <ic-support-chat>'s props and events in templates (Volar / vue-tsc).
import type {} from 'ic-support-chat/vue';
