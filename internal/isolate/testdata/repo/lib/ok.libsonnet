{ value: 'ok' }
