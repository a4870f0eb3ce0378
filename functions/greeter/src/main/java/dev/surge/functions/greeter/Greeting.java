package dev.surge.functions.greeter;

public record Greeting(String message) {
}
