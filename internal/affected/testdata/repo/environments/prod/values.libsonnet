{ replicas: 3 }
