import { TextInput } from '@mantine/core';

export interface FingerprintInputProps {
  label: string;
  description: string;
  value: string;
  onChange(value: string): void;
}

/** A certificate's SHA-256 fingerprint (AB:CD:…), typed or pasted: monospace, no spell-check or autofill. */
export function FingerprintInput({ label, description, value, onChange }: FingerprintInputProps) {
  return (
    <TextInput
      label={label}
      description={description}
      placeholder="AB:CD:EF:…"
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      autoComplete="off"
      spellCheck={false}
      styles={{ input: { fontFamily: 'monospace' } }}
    />
  );
}
