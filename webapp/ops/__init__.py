"""Operations: health endpoints and structured request logs."""
