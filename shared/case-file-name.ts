/** Extension of Caseboard case files; also the desktop file association. */
export const CASE_FILE_EXTENSION = '.caseboard';
