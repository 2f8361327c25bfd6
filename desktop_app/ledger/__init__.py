"""The ledger (申请台账) as an Excel or CSV file: reading an agency's own
ledger as it is (limits against hostile files, its layout, synonym
headers, each row converted), writing the register as a ledger (full or
masked) and the import template.  Imports domain and files only; the
import itself (checking rows against the register, writing them) is
``services.ledger``."""
