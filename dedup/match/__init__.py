"""Finding echoes among blocks: normalise, shingle, sign, propose, verify, plan."""
