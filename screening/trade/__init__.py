"""Trade-flow analytics: corridors and their baselines, surges, triangles, mirror gaps, entity red flags."""
