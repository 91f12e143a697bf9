"""``python -m screening.spark``: the spark-submit entry point."""

import sys

from screening.spark.cli import main

sys.exit(main())
