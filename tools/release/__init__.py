"""Staff tools that turn the reference solution into the student starter kit."""
