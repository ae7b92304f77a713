"""Staff-only tests of Part 1 (torch references, extra cases, data, notebook). Never released."""
