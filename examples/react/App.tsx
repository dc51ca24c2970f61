import { IcSupportChat } from 'ic-support-chat/react';

export function App() {
  return (
    <div style={{ height: 600, maxWidth: 420 }}>
      <IcSupportChat
        endpoint="/api/support"
        heading="Notably support"
        greeting="Hi! Ask me anything about Notably."
        theme="auto"
        onIcRunComplete={(event) => console.info('reply:', event.detail.message)}
        onIcError={(event) => console.warn(event.detail.error.code)}
      />
    </div>
  );
}
