"""What a charter server keeps besides the ledgers, below both surfaces: the accounts that
sign in (`charter users` manages them, the web checks them), the throttle on sign-ins, and
whom the server believes about its clients (`charter serve` reads them, the web applies
them)."""
