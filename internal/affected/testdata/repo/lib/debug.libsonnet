{ enabled: true }
