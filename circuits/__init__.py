"""The shipped margin model circuits, one file per model (``cross``, ``scenario``, ...).

The folder stays at the top of the repository; installed, it is the package
``zkmargin_circuits``. Circuits are loaded by name from their files
(:func:`zkmargin.batch.load_model_circuit`), not imported as modules of this package.
"""
