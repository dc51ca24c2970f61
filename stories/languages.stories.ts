import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { chatArgs, chatArgTypes, renderChat, type ChatArgs } from './support/chat-story.js';

/** `<ic-support-chat>` in each shipped language (`lang`), with a reply in that language. */
const meta: Meta<ChatArgs> = {
  title: 'Languages/ic-support-chat',
  component: 'ic-support-chat',
  args: chatArgs,
  argTypes: chatArgTypes,
  render: renderChat,
};
export default meta;

type Story = StoryObj<ChatArgs>;

function language(lang: string, heading: string, greeting: string, question: string, reply: string): Story {
  return { args: { lang, heading, greeting, question }, parameters: { replies: [{ text: reply }] } };
}

export const English = language(
  'en',
  'Support',
  'Hi! How can we help?',
  'How do I reset my password?',
  'Open **Settings → Account** and choose **Reset password**. We email you a link that works for 30 minutes.',
);
export const French = language(
  'fr',
  'Assistance',
  'Bonjour ! Comment pouvons-nous vous aider ?',
  'Comment réinitialiser mon mot de passe ?',
  'Ouvrez **Réglages → Compte**, puis choisissez **Réinitialiser le mot de passe**. Nous vous envoyons un lien valable 30 minutes.',
);
export const German = language(
  'de',
  'Hilfe',
  'Hallo! Wie können wir helfen?',
  'Wie setze ich mein Passwort zurück?',
  'Öffnen Sie **Einstellungen → Konto** und wählen Sie **Passwort zurücksetzen**. Wir senden Ihnen einen Link, der 30 Minuten gültig ist.',
);
export const Spanish = language(
  'es',
  'Soporte',
  '¡Hola! ¿En qué podemos ayudarte?',
  '¿Cómo restablezco mi contraseña?',
  'Abre **Ajustes → Cuenta** y elige **Restablecer contraseña**. Te enviaremos un enlace válido durante 30 minutos.',
);
export const Japanese = language(
  'ja',
  'サポート',
  'こんにちは！どのようなご用件でしょうか？',
  'パスワードをリセットするには？',
  '**設定 → アカウント** を開き、 **パスワードをリセット** を選んでください。 30分間有効なリンクをメールでお送りします。',
);
export const Arabic = language(
  'ar',
  'الدعم',
  'مرحبًا! كيف يمكننا مساعدتك؟',
  'كيف أعيد تعيين كلمة المرور؟',
  'افتح **الإعدادات ← الحساب** ثم اختر **إعادة تعيين كلمة المرور**. سنرسل إليك رابطًا صالحًا لمدة 30 دقيقة.',
);
