import { Component, type ReactNode } from 'react'
import { i18n } from '../i18n'

/** A renderer bug must not leave a blank window: say so and offer a reload. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false }

  static getDerivedStateFromError() {
    return { failed: true }
  }

  override render() {
    if (!this.state.failed) return this.props.children
    return (
      <div className="loading" role="alert">
        <p>{i18n.t('error.message')}</p>
        <button type="button" onClick={() => location.reload()}>
          {i18n.t('error.reload')}
        </button>
      </div>
    )
  }
}
