"""What the surfaces show, built once below all of them (DESIGN.md: no surface imports
another): the JSON shapes of spec/cli-contract.md that the CLI and the web share, the reading
of what a person types, and the printed certificate. Built from the rules' results; never a
legal computation of its own."""
