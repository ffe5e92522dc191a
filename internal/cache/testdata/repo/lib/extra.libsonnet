{ extra: true }
