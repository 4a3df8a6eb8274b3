/** Said at the top of a panel whose item was deleted or merged elsewhere while it was open. */
export function GoneNotice({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p className="form-failure" role="alert">
      {message}
    </p>
  );
}
