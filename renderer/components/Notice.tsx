import { dismissNotice, useNotice } from '../state/notices.ts';

/** The app-wide notice line, under the top bar until dismissed. */
export function NoticeBar() {
  const notice = useNotice((state) => state.notice);
  if (!notice) return null;
  return (
    <div className={`notice notice-${notice.tone}`} role={notice.tone === 'danger' ? 'alert' : 'status'}>
      <span>{notice.message}</span>
      {notice.action && (
        <button
          type="button"
          className="button notice-action"
          data-testid="notice-action"
          onClick={() => {
            dismissNotice();
            notice.action!.run();
          }}
        >
          {notice.action.label}
        </button>
      )}
      <button type="button" className="button ghost" onClick={dismissNotice} aria-label="Dismiss">
        ✕
      </button>
    </div>
  );
}
