import { useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportOutcome } from '../../shared/ipc/importContract';
import { rejectedRowLabels } from '../i18n/rejectedRowLabels';
import { useImportStore } from '../state/importStore';
import { ImportDialog } from './ImportDialog';

interface ContainerProps {
  stopId: string;
  onImported(outcome: ImportOutcome): void;
  onClose(): void;
  download(fileName: string, text: string, type: string): void;
}

/**
 * The import dialog with the import store's state: only the dialog renders again when the import moves
 * on (its progress is read every 500 ms), not the check-in screen around it, whose result rows would
 * otherwise be rebuilt with every reading while the import threads need the processor. The handlers
 * keep their identity (they read the latest props when called), so the dialog's steps render again only
 * when what they show changes.
 */
export function ImportDialogContainer(p: ContainerProps) {
  const { t } = useTranslation();
  const imp = useImportStore();
  const latest = useRef({ p, t });
  latest.current = { p, t };
  const handlers = useMemo(() => {
    const store = () => useImportStore.getState();
    const props = () => latest.current.p;
    return {
      onFile: (f: File) => void store().uploadFile(f, props().stopId),
      onCheck: () => void store().check(props().stopId),
      onCommit: () =>
        void store()
          .commit(props().stopId)
          .then((o) => {
            if (o) props().onImported(o);
          }),
      onClose: () => props().onClose(),
      onTemplate: () =>
        void store()
          .template()
          .then((tpl) => props().download(tpl.fileName, tpl.text, 'text/csv;charset=utf-8'))
          .catch(() => undefined),
      onRejectedRows: () =>
        void store()
          .rejectedRows(props().stopId, rejectedRowLabels(latest.current.t))
          .then((f) => props().download(f.fileName, f.text, 'text/csv;charset=utf-8'))
          // The store keeps the error (shown next to the report, titled as a failed download).
          .catch(() => undefined),
    };
  }, []);
  return (
    <ImportDialog
      step={imp.step}
      progress={imp.progress}
      sent={imp.sent}
      phase={imp.phase}
      errorKind={imp.errorKind}
      parsed={imp.parsed}
      mapping={imp.mapping}
      report={imp.report}
      outcome={imp.outcome}
      error={imp.error}
      onColumn={imp.setColumn}
      onPreset={imp.applyPreset}
      onBack={imp.backToMapping}
      {...handlers}
    />
  );
}
