"""Reviews in: one module per source format yielding ``ReviewRecord``; ``store`` saves them."""
