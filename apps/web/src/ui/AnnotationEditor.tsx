/** Edit one annotation (new or existing): text, onset and duration; save, delete or cancel. */
import { useState, type FormEvent } from 'react';

/** An annotation being edited; no id means not yet saved. */
export interface AnnotationDraft {
  id?: string;
  onsetSeconds: number;
  durationSeconds: number;
  text: string;
}

interface Props {
  draft: AnnotationDraft;
  onSave: (draft: AnnotationDraft) => void;
  onDelete: (id: string) => void;
  onCancel: () => void;
}

export function AnnotationEditor({ draft, onSave, onDelete, onCancel }: Props) {
  const [text, setText] = useState(draft.text);
  const [onset, setOnset] = useState(draft.onsetSeconds.toFixed(2));
  const [duration, setDuration] = useState(draft.durationSeconds.toFixed(2));
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    onSave({ id: draft.id, text, onsetSeconds: Math.max(0, Number(onset)), durationSeconds: Math.max(0, Number(duration)) });
  };
  return (
    <form className="annotation-editor" onSubmit={submit} data-testid="annotation-editor">
      <h4>{draft.id ? 'Edit annotation' : 'New annotation'}</h4>
      <input autoFocus data-testid="annotation-text" placeholder="Text (e.g. spike, artefact)" value={text} onChange={(e) => setText(e.target.value)} onKeyDown={(e) => e.key === 'Escape' && onCancel()} />
      <label>Onset (s) <input type="number" step="0.01" min="0" value={onset} onChange={(e) => setOnset(e.target.value)} /></label>
      <label>Duration (s) <input type="number" step="0.01" min="0" value={duration} onChange={(e) => setDuration(e.target.value)} /></label>
      <div>
        <button type="submit" data-testid="annotation-save">Save</button>{' '}
        {draft.id && <button type="button" className="danger" data-testid="annotation-delete" onClick={() => onDelete(draft.id as string)}>Delete</button>}{' '}
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
