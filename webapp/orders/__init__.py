"""The order domain: the cart, placing an order, its life after checkout (kitchen
steps, cancel, switching how it is paid) and what its page shows live."""
