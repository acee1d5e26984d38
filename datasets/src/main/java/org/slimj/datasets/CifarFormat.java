package org.slimj.datasets;

import java.util.List;

/**
 * The record layouts of the CIFAR binary files: each record is the label byte(s) followed by
 * 3,072 pixel bytes (1,024 red, 1,024 green, 1,024 blue, each 32×32 row-major, which is C×H×W).
 * CIFAR-10 records have one label byte; CIFAR-100 records have a coarse (20 superclasses) then a
 * fine (100 classes) label byte, and either can be used.
 */
public enum CifarFormat {
  /** CIFAR-10: one label byte, 10 classes. */
  CIFAR10(1, 0, List.of(
      "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")),
  /** CIFAR-100 with its 100 fine labels (the second label byte). */
  CIFAR100_FINE(2, 1, List.of(
      "apple", "aquarium_fish", "baby", "bear", "beaver", "bed", "bee", "beetle", "bicycle", "bottle",
      "bowl", "boy", "bridge", "bus", "butterfly", "camel", "can", "castle", "caterpillar", "cattle",
      "chair", "chimpanzee", "clock", "cloud", "cockroach", "couch", "crab", "crocodile", "cup", "dinosaur",
      "dolphin", "elephant", "flatfish", "forest", "fox", "girl", "hamster", "house", "kangaroo", "keyboard",
      "lamp", "lawn_mower", "leopard", "lion", "lizard", "lobster", "man", "maple_tree", "motorcycle", "mountain",
      "mouse", "mushroom", "oak_tree", "orange", "orchid", "otter", "palm_tree", "pear", "pickup_truck", "pine_tree",
      "plain", "plate", "poppy", "porcupine", "possum", "rabbit", "raccoon", "ray", "road", "rocket",
      "rose", "sea", "seal", "shark", "shrew", "skunk", "skyscraper", "snail", "snake", "spider",
      "squirrel", "streetcar", "sunflower", "sweet_pepper", "table",
      "tank", "telephone", "television", "tiger", "tractor",
      "train", "trout", "tulip", "turtle", "wardrobe", "whale", "willow_tree", "wolf", "woman", "worm")),
  /** CIFAR-100 with its 20 coarse labels (the first label byte). */
  CIFAR100_COARSE(2, 0, List.of(
      "aquatic_mammals", "fish", "flowers", "food_containers", "fruit_and_vegetables",
      "household_electrical_devices", "household_furniture", "insects", "large_carnivores",
      "large_man-made_outdoor_things", "large_natural_outdoor_scenes", "large_omnivores_and_herbivores",
      "medium_mammals", "non-insect_invertebrates", "people", "reptiles", "small_mammals", "trees",
      "vehicles_1", "vehicles_2"));

  /** Channels, height and width of every CIFAR image. */
  public static final int CHANNELS = 3;

  /** Image side in pixels. */
  public static final int SIDE = 32;

  /** Pixel bytes per record. */
  public static final int IMAGE_BYTES = CHANNELS * SIDE * SIDE;

  private final int labelBytes;
  private final int labelIndex;
  private final List<String> classNames;

  CifarFormat(int labelBytes, int labelIndex, List<String> classNames) {
    this.labelBytes = labelBytes;
    this.labelIndex = labelIndex;
    this.classNames = classNames;
  }

  /** Label bytes at the start of each record. */
  public int labelBytes() {
    return labelBytes;
  }

  /** Which of the label bytes is the label used. */
  public int labelIndex() {
    return labelIndex;
  }

  /** Bytes per record: label bytes plus {@link #IMAGE_BYTES}. */
  public int recordBytes() {
    return labelBytes + IMAGE_BYTES;
  }

  /** Class names, indexed by label. */
  public List<String> classNames() {
    return classNames;
  }
}
