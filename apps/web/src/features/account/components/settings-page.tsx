import type { User } from '@parley/protocol';
import { DeleteAccountSection } from './delete-account-section';
import { DisplayNameSection } from './display-name-section';
import { PasswordSection } from './password-section';
import './settings-page.css';

/** `/settings`: my account. Its own chunk (lazy), since it is never the first page. */
export default function SettingsPage({ me }: { me: User }) {
  return (
    <div className="settings">
      <h1>Settings</h1>
      <p className="muted">
        Signed in as <strong>@{me.username}</strong>
      </p>
      <DisplayNameSection me={me} />
      <PasswordSection />
      <DeleteAccountSection />
    </div>
  );
}
