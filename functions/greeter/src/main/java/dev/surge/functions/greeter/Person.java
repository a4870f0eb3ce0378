package dev.surge.functions.greeter;

public record Person(String name) {
}
