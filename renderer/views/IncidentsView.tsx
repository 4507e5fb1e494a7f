import { EmptyState } from '../components/EmptyState.tsx';

export function IncidentsView() {
  return (
    <div className="view">
      <header className="view-header">
        <h1>Incidents</h1>
        <p className="subtitle">Alerts grouped into incidents, from Defender XDR exports and Sightline's own correlation.</p>
      </header>
      <EmptyState title="No incidents yet" actions>
        <p>Incidents appear when a workspace holds Defender XDR incident exports. Sightline cannot read those yet in this version; risk detections and sign-ins are already imported.</p>
      </EmptyState>
    </div>
  );
}
