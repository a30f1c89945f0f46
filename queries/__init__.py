"""The catalog of cross-literature questions: one documented .rq file each."""
