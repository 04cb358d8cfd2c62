"""One package per paper: its methods, runs, artifacts and paper numbers, on the shared experiment kit."""
