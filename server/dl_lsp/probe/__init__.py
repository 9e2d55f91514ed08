"""The probe: a bounded worker process that runs the user's script up to its first training step.

The parent side (``runner``) starts ``python -m dl_lsp.probe.worker`` in its own session with
resource limits, talks to it in JSON lines and kills it with its children on timeout or cancel.
The worker (``worker`` and the modules it imports: ``fingerprint``, ``capture``, ``torch_check``,
``keras_check``, ``simulated_cuda``) is the only code of dl-lsp that imports torch or tensorflow.
"""
