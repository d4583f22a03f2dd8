"""Tables in and out: schemas and validation, identity numbers, file I/O."""
