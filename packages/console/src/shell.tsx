import { NavLink, Outlet } from 'react-router'
import { useShortcutsSetting } from './lib/shortcuts'
import { useSession } from './session'

/** Skip link, header (organization, the key's role, navigation, sign out), then the page. */
export function Shell () {
  const { org, can, signOut } = useSession()
  const shortcuts = useShortcutsSetting()
  return (
    <>
      <a className='skip-link' href='#main'>Skip to content</a>
      <header className='app-header'>
        <div className='brand'>
          <span className='brand-name'>Ombuds</span>
          <span className='org-name'>{org.name}</span>
          <span className='role-badge' title={`Scopes: ${org.key.scopes.join(', ')}`}>{org.key.role ?? 'platform'}</span>
        </div>
        <nav aria-label='Main'>
          <ul>
            <li><NavLink to='/complaints'>Complaints</NavLink></li>
            <li><NavLink to='/suppressions'>Suppressions</NavLink></li>
            <li><NavLink to='/rates'>Rates</NavLink></li>
            {can('audit:read') && <li><NavLink to='/audit'>Audit</NavLink></li>}
          </ul>
        </nav>
        <div className='header-actions'>
          <label className='switch'>
            <input type='checkbox' checked={shortcuts.enabled} onChange={(event) => { shortcuts.setEnabled(event.target.checked) }} />
            Keyboard shortcuts
          </label>
          <button type='button' className='secondary' onClick={signOut}>Sign out</button>
        </div>
      </header>
      <main id='main' tabIndex={-1}>
        <Outlet />
      </main>
    </>
  )
}
