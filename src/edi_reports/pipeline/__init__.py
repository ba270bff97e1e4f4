"""Running the pipeline: one build, batches, warm kernels, preview and new organisations."""
