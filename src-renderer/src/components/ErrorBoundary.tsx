import { Component, type ReactNode } from 'react'

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
        <p>Skyswitch’s window ran into a problem. Your accounts are safe: they live in the main process.</p>
        <button type="button" onClick={() => location.reload()}>
          Reload the window
        </button>
      </div>
    )
  }
}
