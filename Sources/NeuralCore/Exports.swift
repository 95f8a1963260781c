/// Layers draw their initial weights from the seeded generator, so NeuralCore's users get it with the layers.
@_exported import Randomness
