/**
 * The templates by name, without their builders: what the empty canvas and the gallery's cards show
 * before a template is opened. The builders (templates/index.ts, which lays each model out with dagre)
 * load with the gallery or the first template opened, not with the editor.
 */

/** One template as menus list it. */
export interface TemplateInfo {
  readonly id: string;
  /** 'Seed models': the models of the documents Layerlab grew from; 'Model zoo': well-known architectures. */
  readonly group: 'Seed models' | 'Model zoo';
  readonly title: string;
  /** One line for the menu: what it shows. */
  readonly blurb: string;
}

/** Every template in gallery order; templates/index.ts gives each its builder (a missing one is a compile error there). */
export const TEMPLATE_INFO = [
  {
    id: 'dense-input-dim-1',
    group: 'Seed models',
    title: 'Dense(2, input_dim=1)',
    blurb: 'The smallest Sequential model: one Dense layer on a 1-value input (4 parameters).',
  },
  {
    id: 'product-classifier',
    group: 'Seed models',
    title: 'Product image classifier (CNN)',
    blurb: 'Sequential CNN: 64×64 RGB images → 10 product categories (822,922 parameters).',
  },
  {
    id: 'purchase-predictor',
    group: 'Seed models',
    title: 'Purchase predictor (two inputs)',
    blurb: 'Functional model: image + text features → purchase probability (799,233 parameters).',
  },
  {
    id: 'siamese',
    group: 'Model zoo',
    title: 'Siamese network (shared encoder)',
    blurb: 'Two inputs embedded by one shared encoder (same weights), compared by cosine similarity.',
  },
  { id: 'residual-block', group: 'Model zoo', title: 'Residual block', blurb: 'Two 3×3 convolutions added back to their input with Add (the ResNet idea).' },
  { id: 'two-headed', group: 'Model zoo', title: 'Two-headed model', blurb: 'One trunk, two outputs: a 5-class softmax head and a price regression head.' },
  {
    id: 'text-classifier',
    group: 'Model zoo',
    title: 'Text classifier (Embedding + LSTM)',
    blurb: 'Word ids → Embedding → LSTM → sigmoid: sentiment of a 100-word review.',
  },
  {
    id: 'variable-length-text',
    group: 'Model zoo',
    title: 'Text of any length (None)',
    blurb: 'Input shape (None,): reviews of any length → masked Embedding → Bidirectional LSTM → sigmoid (669,057 parameters).',
  },
  {
    id: 'encoder-decoder',
    group: 'Model zoo',
    title: 'Encoder–decoder LSTM (states)',
    blurb:
      "Keras's RNN guide: the encoder LSTM returns its states (return_state) and the decoder LSTM starts from them (initial_state); two inputs of any length (258,698 parameters).",
  },
  {
    id: 'transformer-text',
    group: 'Model zoo',
    title: 'Transformer text classifier',
    blurb:
      "Keras's example: Embedding → MultiHeadAttention + feed-forward block with residual Adds and LayerNormalization → pooling → softmax (651,358 parameters).",
  },
  {
    id: 'vision-transformer',
    group: 'Model zoo',
    title: 'Vision Transformer (small)',
    blurb: '32×32 images cut into 4×4 patches by a strided Conv2D, two attention blocks across the 64 patches, softmax over 10 classes (70,730 parameters).',
  },
  { id: 'lenet5', group: 'Model zoo', title: 'LeNet-5', blurb: 'LeCun 1998: tanh convolutions and average pooling on 32×32 digits (61,706 parameters).' },
  { id: 'mnist-mlp', group: 'Model zoo', title: 'MNIST MLP', blurb: "Keras's classic multilayer perceptron for 28×28 digits flattened to 784 values." },
  {
    id: 'mnist-convnet',
    group: 'Model zoo',
    title: 'MNIST convnet',
    blurb: "Keras's simple MNIST convnet: two Conv2D + MaxPooling2D blocks and a Dense head.",
  },
  {
    id: 'inception-module',
    group: 'Model zoo',
    title: 'Inception-style module',
    blurb: 'Four parallel branches (1×1, 3×3, 5×5, pooling) joined by Concatenate.',
  },
  {
    id: 'small-unet',
    group: 'Model zoo',
    title: 'Small U-Net',
    blurb: 'Encoder–decoder with skip connections (Conv2DTranspose + Concatenate) for 64×64 masks.',
  },
  {
    id: 'mobilenet',
    group: 'Model zoo',
    title: 'MobileNet (v1, α 1.0)',
    blurb: 'Keras Applications MobileNet: depthwise separable convolutions, 224×224×3, 1,000 classes (4,253,864 parameters).',
  },
  {
    id: 'mobilenet-v2',
    group: 'Model zoo',
    title: 'MobileNetV2 (α 1.0)',
    blurb: 'Keras Applications MobileNetV2: inverted residual blocks with linear bottlenecks, 224×224×3, 1,000 classes (3,538,984 parameters).',
  },
  {
    id: 'resnet50',
    group: 'Model zoo',
    title: 'ResNet50',
    blurb: 'Keras Applications ResNet50: 16 residual blocks, 224×224×3, 1,000 classes (25,636,712 parameters).',
  },
  { id: 'vgg16', group: 'Model zoo', title: 'VGG16', blurb: 'Keras Applications VGG16, 224×224×3 input, 1,000-class top (138,357,544 parameters).' },
] as const satisfies readonly TemplateInfo[];

/** The id of a template in TEMPLATE_INFO. */
export type TemplateId = (typeof TEMPLATE_INFO)[number]['id'];
